"""budget-lod converter: budget disclosures (PDF or text extraction) -> records -> RDF."""

__version__ = "0.1.0"
