"""One module per experiment of the lectures: each has a frozen Config, a Result of numpy arrays, and run()."""
