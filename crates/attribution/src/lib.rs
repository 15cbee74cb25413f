//! Attribution extraction: features, the trained source/cue/content tagger, linking into attributions, speaker resolution.
