import sys

from bench.run import main

if __name__ == "__main__":  # the fleet's processes import this module again without running it
    sys.exit(main())
