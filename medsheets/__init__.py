"""medsheets: billing automation for small medical practices that live in Excel."""

__version__ = "0.1.0"
