import sys

from .train import evaluate, train

if __name__ == "__main__":
    {"train": train, "evaluate": evaluate}[sys.argv[1] if len(sys.argv) > 1 else "evaluate"]()
