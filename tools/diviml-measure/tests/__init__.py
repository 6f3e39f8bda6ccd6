"""diviml-measure tests. They need PyTorch: without it they fail loudly."""
try:
    import torch  # noqa: F401
except ImportError as e:  # pragma: no cover - CI installs python3-torch
    raise ImportError("diviml-measure tests need PyTorch: install Debian's "
                      "python3-torch (scripts/setup.sh does)") from e
