"""The style studio's embedded engines: training a style model, rendering images in it, storing them."""
