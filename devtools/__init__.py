"""Development tools: the loopback fake of the Daily Papers API and the sample generator.

They serve tests, `make demo` and the benchmarks, never a pipeline run, so they live outside
`pipelines/` and the wheel leaves them out (`[tool.hatch.build.targets.wheel]` in
pyproject.toml). A checkout imports them from the repository root, which the editable install
puts on `sys.path`; `paperboard demo` and `paperboard fake-api` are the only product code that
imports them, when they run.
"""
