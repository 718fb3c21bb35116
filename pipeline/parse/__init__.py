"""Parse: raw documents into clean, dated, outlined documents."""
