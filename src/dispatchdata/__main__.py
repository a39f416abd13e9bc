"""``python -m dispatchdata``: the same command line as ``dispatchdata``."""

from dispatchdata.cli import _interrupted, main

if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:  # between click's handlers (the group's catch every command's)
        _interrupted()
