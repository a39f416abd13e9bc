"""``python -m dispatchdata``: the same command line as ``dispatchdata``."""

from dispatchdata.cli import run

if __name__ == "__main__":
    run()
