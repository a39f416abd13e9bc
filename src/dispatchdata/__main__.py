"""``python -m dispatchdata``: the same command line as ``dispatchdata``."""

from dispatchdata.cli import main

if __name__ == "__main__":
    main()
