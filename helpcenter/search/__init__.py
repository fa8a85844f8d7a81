"""Full-text search. Whoosh is used here and nowhere else."""
