"""Copying the generated package into another repo, and verifying a copy against its manifest.

May import `generator.build`.
"""
