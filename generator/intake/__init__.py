"""Taking in a new spec: the hostile download (`fetch`) and `spec/spec.lock` (`lock`).

May import `generator.build` (a new spec must build before it replaces the old one).
"""
