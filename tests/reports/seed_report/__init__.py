"""A data set that reproduces the seed report (DOMAIN.md's reference document): the generator
(``generate.py``) and the figures it must give (``expected.py``)."""
