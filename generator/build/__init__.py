"""The pipeline, in order: load -> validate -> models -> interpret (IR) -> render -> format -> write.

`pipeline.build` runs it in memory; `write` is the only module that touches the output folder.
May import `generator.settings` and `generator.diagnostics`; never `diff`, `intake` or `vendoring`.
"""
