/// A closed list of words the user chooses from, each with the slug typed on the
/// command line and stored, and a phrase for people to read. One macro so that every
/// list parses, prints and complains about unknown words the same way.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $slug:literal, $phrase:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $slug)] $variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug,)* }
            }

            /// How to say it in a sentence.
            pub fn phrase(self) -> &'static str {
                match self { $($name::$variant => $phrase,)* }
            }

            pub fn parse(text: &str) -> Result<Self, $crate::DomainError> {
                let wanted = text.trim().to_ascii_lowercase().replace([' ', '_'], "-");
                Self::ALL.iter().copied().find(|v| v.slug() == wanted).ok_or_else(|| {
                    $crate::DomainError::invalid(format!(
                        "\"{}\" is not a {} casebook knows: use one of {}.",
                        text,
                        $what,
                        Self::ALL.iter().map(|v| v.slug()).collect::<Vec<_>>().join(", ")
                    ))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.slug())
            }
        }
    };
}

pub(crate) use vocabulary;
