"""The child a case is about (its panel, the child's page, merging two records of one
child) and advocacy for them (its panel)."""
