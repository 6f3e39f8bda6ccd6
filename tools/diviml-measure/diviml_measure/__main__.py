"""`python3 -m diviml_measure`: the same as the diviml-measure launcher."""
import sys

from diviml_measure.cli import main

sys.exit(main())
