"""Speed measurements for `make bench`: ratios measured side by side in one run."""
