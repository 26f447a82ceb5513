"""The Teams edge: the only package that imports microsoft_agents."""
