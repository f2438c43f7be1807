"""Publishing what the warehouse holds to readers outside it: feeds."""
