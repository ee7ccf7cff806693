"""Mean-field theory of the LIF networks: transfer function, fixed points, bistability, S17 stabilisation
(docs/theory.md)."""
