"""The shared core: helpers every app may use. It imports no app of ours.

See docs/architecture.md, "Layers".
"""
