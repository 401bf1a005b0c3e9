"""A declared X12 grammar: the segments and loops medsheets writes and reads, as data.

- `schema`: the records (ElementDef, SegmentDef, LoopDef, TransactionDef).
- `segments`: the 5010 segment dictionary (elements, types, lengths).
- `x837p`, `x835`, `x999`, `x277ca`, `x270` (270 and 271), `x276` (276 and 277): one module per
  implementation guide, its loops and what each requires there.
- `build`: `TransactionBuilder` / `checked`, which refuse a segment the guide forbids
  (`GrammarError` naming transaction, loop, segment and element).
- `read`: `locate`, which tells each read segment's loop and answers elements by name.

See docs/x12.md ("The X12 grammar") for how a writer or a reader uses it.
"""

from medsheets.x12.grammar.build import GrammarError, TransactionBuilder, checked
from medsheets.x12.grammar.read import Located, locate
from medsheets.x12.grammar.x270 import X270, X271
from medsheets.x12.grammar.x276 import X276, X277
from medsheets.x12.grammar.x277ca import X277CA
from medsheets.x12.grammar.x835 import X835
from medsheets.x12.grammar.x837p import X837P
from medsheets.x12.grammar.x999 import X999

__all__ = ["GrammarError", "Located", "TransactionBuilder", "X270", "X271", "X276", "X277",
           "X277CA", "X835", "X837P", "X999", "checked", "locate"]
