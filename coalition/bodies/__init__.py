"""Bodies: anything participants can be members of (initiatives, working groups).

One membership machine serves every kind of body; what differs per kind (whether it
takes members now, whether it must keep a co-chair) is a policy the kind provides on
its model class.
"""
