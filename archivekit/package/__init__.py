"""The package: a BagIt 1.0 bag holding the WARC, the descriptor and the seals."""
