"""One module per framework form; `plf_core.forms.registry` loads and checks them all."""
