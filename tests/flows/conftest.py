"""Make the repository importable when pytest runs from the command line (`pytest tests/flows`)."""
import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
