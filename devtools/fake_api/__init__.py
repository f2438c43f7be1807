"""A loopback fake of the Hugging Face Daily Papers API, for tests, the demo and benchmarks."""

from devtools.fake_api.server import FakeDailyPapersApi, FaultPlan, FolderSource, GeneratedSource

__all__ = ["FakeDailyPapersApi", "FaultPlan", "FolderSource", "GeneratedSource"]
