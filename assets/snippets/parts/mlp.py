def mlp(widths, activation, fill, gen=None):
    """Linear -> activation per hidden layer, then a linear output: weights by `fill` from `gen` (default: from the
    seed, the same start for every run), biases zero, the output's weights x 0.1 (the loss starts near ln C, a uniform
    guess)."""
    gen, layers = gen or torch.Generator().manual_seed(seed), []
    for n_in, n_out in zip(widths, widths[1:]):
        linear = nn.utils.skip_init(nn.Linear, n_in, n_out)
        with torch.no_grad():
            fill(linear.weight, gen)
            linear.bias.zero_()
        layers += [linear, activation()]
    with torch.no_grad():
        layers[-2].weight.mul_(0.1)
    return nn.Sequential(*layers[:-1])
