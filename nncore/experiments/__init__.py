"""One module per lesson, named as its page (pages/<name>.py): a frozen Config, a Result of numpy arrays, and run().
A lesson in two parts is a package with one module per part (gradient_flow, lr_finder)."""
