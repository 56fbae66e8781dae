"""Contract tests: the generated client against Prism and a spec-validating loopback server."""
