"""REST endpoints of the policy framework: nodes, the tree, and editing a node."""
