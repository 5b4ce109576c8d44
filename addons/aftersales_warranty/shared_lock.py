"Documents one transaction at a time changes"


def read_locked(Model, records):
    """Lock the records of Model and return them read again: a transaction
    waiting on the lock sees what the one before it wrote"""
    Model.lock(records)
    return Model.browse([r.id for r in records])
