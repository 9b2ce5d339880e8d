use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::DomainError;
use crate::vocab::vocabulary;

/// A person's number within a case, shown as `p3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonId(pub u32);

impl fmt::Display for PersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "p{}", self.0)
    }
}

impl FromStr for PersonId {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        s.strip_prefix('p')
            .and_then(|n| n.parse().ok())
            .filter(|n| *n > 0)
            .map(PersonId)
            .ok_or_else(|| DomainError::invalid(format!("\"{s}\" is not a person id such as p3.")))
    }
}

impl Serialize for PersonId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PersonId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

vocabulary! {
    /// The part someone plays in the case, in the words families and schools use.
    Role, "role" {
    ClassTeacher => "class-teacher", "class teacher";
    FormTutor => "form-tutor", "form tutor";
    HeadOfYear => "head-of-year", "head of year";
    Senco => "senco", "SENCO";
    DeputyHead => "deputy-head", "deputy head";
    HeadTeacher => "head-teacher", "head teacher";
    PastoralLead => "pastoral-lead", "pastoral lead";
    ChairOfGovernors => "chair-of-governors", "chair of governors";
    Trust => "trust", "trust";
    LaSenOfficer => "la-sen-officer", "local authority SEN officer";
    MediationAdviser => "mediation-adviser", "mediation adviser";
    Mediator => "mediator", "mediator";
    InterimExecutiveBoard => "interim-executive-board", "interim executive board";
    LaEducationOfficer => "la-education-officer", "local authority education officer";
    EducationWelfareOfficer => "education-welfare-officer", "education welfare officer";
    Sendiass => "sendiass", "SENDIASS adviser";
    Ofsted => "ofsted", "Ofsted";
    Ombudsman => "ombudsman", "ombudsman";
    Mp => "mp", "MP";
    Gp => "gp", "GP";
    Camhs => "camhs", "CAMHS clinician";
    EducationalPsychologist => "educational-psychologist", "educational psychologist";
    SpeechAndLanguageTherapist => "speech-and-language-therapist", "speech and language therapist";
    OccupationalTherapist => "occupational-therapist", "occupational therapist";
    Consultant => "consultant", "consultant";
    Child => "child", "the child";
    OtherChild => "other-child", "another child";
    Witness => "witness", "witness";
    FamilyMember => "family-member", "family member";
    Other => "other", "someone else";
    }
}

impl Role {
    /// Which side of the table someone in this role usually sits at in a meeting.
    pub fn usual_side(self) -> crate::Side {
        use crate::Side;
        match self {
            Role::Child | Role::FamilyMember => Side::Family,
            Role::LaSenOfficer | Role::LaEducationOfficer | Role::EducationWelfareOfficer => {
                Side::LocalAuthority
            }
            Role::ClassTeacher
            | Role::FormTutor
            | Role::HeadOfYear
            | Role::Senco
            | Role::DeputyHead
            | Role::HeadTeacher
            | Role::PastoralLead
            | Role::ChairOfGovernors
            | Role::InterimExecutiveBoard
            | Role::Trust => Side::School,
            _ => Side::Independent,
        }
    }
}

/// Someone in the case. Another child is always shown by pseudonym outside the
/// family's own machine; the real name stays in the local file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudonym: Option<String>,
}

impl Person {
    /// The name to show in anything that may leave the family's machine.
    pub fn public_name(&self) -> &str {
        self.pseudonym.as_deref().unwrap_or(&self.name)
    }
}

/// "Child A", "Child B", ... "Child Z", "Child AA": the nth other child in the case.
pub fn pseudonym_for(index: usize) -> String {
    let mut n = index;
    let mut letters = Vec::new();
    loop {
        letters.push((b'A' + (n % 26) as u8) as char);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    letters.reverse();
    format!("Child {}", letters.into_iter().collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_run_on_past_z() {
        assert_eq!(pseudonym_for(0), "Child A");
        assert_eq!(pseudonym_for(25), "Child Z");
        assert_eq!(pseudonym_for(26), "Child AA");
    }

    #[test]
    fn roles_read_as_people_write_them() {
        assert_eq!(Role::parse("Head teacher").unwrap(), Role::HeadTeacher);
        assert_eq!(Role::parse("SENCO").unwrap(), Role::Senco);
        assert!(
            Role::parse("janitor")
                .unwrap_err()
                .to_string()
                .contains("class-teacher")
        );
    }
}
