"""Data files shipped with the hall: the sample catalog and the example hall configuration."""
