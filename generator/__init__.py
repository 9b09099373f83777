"""gen-directive: Vietnamese official directives from a YAML spec, in the exact official format.

Library use mirrors the CLI: ``from generator.build import build_document``.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
