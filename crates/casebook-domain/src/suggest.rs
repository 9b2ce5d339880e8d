//! "Did you mean ...?" for names the user typed: rule ids, letter names.

/// Up to four candidates close to `wanted`: containing it, contained in it, or within a
/// few edits of it, closest first.
pub fn close_matches<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let near = 1 + wanted.len() / 5;
    let mut close: Vec<(usize, &str)> = candidates
        .map(|c| {
            let contains = c.contains(wanted) || wanted.contains(c);
            (if contains { 1 } else { distance(wanted, c) }, c)
        })
        .filter(|(d, _)| *d <= near)
        .collect();
    close.sort();
    close.into_iter().take(4).map(|(_, c)| c).collect()
}

/// Edit distance counting a swap of two neighbouring letters as one edit ("sra" is
/// one edit from "sar"), for suggesting rule ids.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::close_matches;

    #[test]
    fn typos_and_swaps_find_the_name() {
        let names = [
            "subject-access",
            "sar",
            "irp",
            "request-policies",
            "request-meeting",
        ];
        assert_eq!(close_matches("sra", names.into_iter()), ["sar"]);
        assert_eq!(
            close_matches("subject-acess", names.into_iter()),
            ["subject-access"]
        );
        assert_eq!(
            close_matches("request-polices", names.into_iter()),
            ["request-policies"]
        );
        assert!(close_matches("narnia", names.into_iter()).is_empty());
    }
}
