"""The catalogue: customers, products, prices, tax rates and exchange rates."""
