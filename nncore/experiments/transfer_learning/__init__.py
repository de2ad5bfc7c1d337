"""The transfer-learning lesson in two parts: `transfer` (pretrain on digits 0-4, then learn 5-9 from a few samples:
frozen features, fine-tuning or from scratch) and `ensembles` (independently seeded nets and snapshots, averaged)."""
