//! A generic sequence labeller: averaged structured perceptron over hashed features, Viterbi decoding, compact quantised weights.
