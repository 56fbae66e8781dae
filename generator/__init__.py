"""norce-codegen: OpenAPI description of the Norce Checkout Order API -> typed Python client."""

__version__ = "0.1.0"
