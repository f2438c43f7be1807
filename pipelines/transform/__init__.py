"""Pure transforms: API responses to warehouse-shaped Polars frames. No I/O, no clock."""
