"""Planning: the SKP — RHK, IKI, expectations — written, submitted, agreed or returned."""
