from . import demo_count
