import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "zhoukou-2021-annual-report.txt"
CORPUS = ROOT / "corpus" / "reports"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
