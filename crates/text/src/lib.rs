//! Text layer: tokens, sentences, paragraphs and quotation structure with byte offsets. No I/O.
