//! Word lists: pronouns, titles and role nouns. (Cue words are learned: see `model::Lexicon`.)

pub fn is_personal_pronoun(lower: &str) -> bool {
    matches!(
        lower,
        "he" | "she" | "him" | "her" | "his" | "i" | "we" | "they" | "them" | "it" | "you"
    )
}

pub fn is_person_pronoun(lower: &str) -> bool {
    matches!(lower, "he" | "she" | "him" | "her")
}

/// Capitalised words that are titles or roles, not part of a person's name.
pub fn is_title_word(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    matches!(
        w,
        "President"
            | "Vice"
            | "Prime"
            | "Minister"
            | "Foreign"
            | "Defense"
            | "Defence"
            | "Secretary"
            | "State"
            | "Senator"
            | "Sen"
            | "Rep"
            | "Representative"
            | "Gov"
            | "Governor"
            | "Mayor"
            | "Mr"
            | "Mrs"
            | "Ms"
            | "Dr"
            | "Gen"
            | "General"
            | "Ambassador"
            | "Chancellor"
            | "Speaker"
            | "Leader"
            | "Chairman"
            | "Chairwoman"
            | "Chair"
            | "Director"
            | "Spokesman"
            | "Spokeswoman"
            | "Press"
            | "Deputy"
            | "Chief"
            | "Judge"
            | "Justice"
            | "Attorney"
            | "Commissioner"
            | "Envoy"
            | "Special"
            | "Aide"
            | "Kremlin"
            | "White"
            | "House"
            | "Democratic"
            | "Republican"
            | "Sens"
            | "Former"
            | "Candidate"
            | "Presidential"
            | "Nominee"
            | "Lt"
            | "Col"
            | "Capt"
            | "Adm"
            | "Rev"
            | "Pope"
            | "King"
            | "Queen"
            | "Prince"
            | "Princess"
            | "Sheikh"
            | "Emir"
            | "Premier"
            | "Russian"
            | "American"
            | "US"
            | "U.S."
            | "British"
            | "French"
            | "German"
            | "Chinese"
            | "Ukrainian"
            | "Israeli"
            | "Iranian"
            | "European"
            | "Senior"
            | "Top"
            | "Official"
            | "Spokesperson"
            | "Adviser"
            | "Advisor"
            | "Counselor"
            | "Congressman"
            | "Congresswoman"
            | "Councilman"
            | "Councilwoman"
            | "Lawmaker"
            | "CEO"
            | "Founder"
            | "Executive"
    )
}

/// Role nouns a descriptive source can be headed by, and the words a
/// document's title for that person may use instead ("the top diplomat"
/// is the one titled "Foreign Minister").
pub fn role_synonyms(head: &str) -> &'static [&'static str] {
    match head {
        "diplomat" => &["minister", "secretary", "ambassador", "diplomat", "envoy"],
        "minister" => &["minister"],
        "president" | "leader" => &["president", "leader", "premier", "chancellor"],
        "aide" | "adviser" | "advisor" => &["aide", "adviser", "advisor", "assistant"],
        "envoy" => &["envoy"],
        "secretary" => &["secretary"],
        "senator" => &["senator", "sen."],
        "governor" => &["governor", "gov."],
        "spokesman" | "spokeswoman" | "spokesperson" => &[
            "spokesman",
            "spokeswoman",
            "spokesperson",
            "press secretary",
        ],
        "candidate" | "nominee" => &["candidate", "nominee"],
        "mayor" => &["mayor"],
        "chancellor" => &["chancellor"],
        "official" => &["official", "minister", "secretary", "aide"],
        _ => &[],
    }
}
