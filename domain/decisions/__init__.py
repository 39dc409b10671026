"""Decision tables: versioned business rules (inputs, outputs, a hit policy and rows of cells) that
processes and the API evaluate, with an explanation of every answer and static checks at publish time."""
