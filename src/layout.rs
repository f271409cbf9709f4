//! Positions for interactive charts: a small force simulation
//! (Fruchterman–Reingold with a cooling schedule) in which some nodes are
//! fixed.
//!
//! Graphviz's engines (see `render`) draw static charts well, but an
//! explorer adds nodes to a chart the reader has already looked at, and the
//! nodes already there must not move. graphviz-pure's force engines do not
//! keep pinned positions (see the shared NOTES.md), so the page's layout is
//! computed here: fixed nodes stay exactly where they are, new nodes start
//! next to the placed nodes they link to and settle around them. A node can
//! also be given a *hint*, a place it is drawn back to (routes use it to
//! read left to right). Everything is deterministic: the same input gives
//! the same positions, with no randomness.

/// Distance the simulation aims for between linked nodes, in page units.
pub const EDGE_LENGTH: f64 = 160.0;

/// Where one node may or must go.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Place {
    /// Anywhere the forces put it.
    #[default]
    Free,
    /// Exactly here; the node never moves.
    Fixed(f64, f64),
    /// Pulled towards here.
    Hint(f64, f64),
}

/// Positions for `n` nodes linked by `edges` (pairs of node indices; loops
/// and repeats are harmless). `places[i]` says where node `i` may go and
/// `sizes[i]` how wide and tall it is drawn (labels must not overlap).
pub fn layout(
    n: usize,
    edges: &[(usize, usize)],
    places: &[Place],
    sizes: &[(f64, f64)],
) -> Vec<(f64, f64)> {
    assert_eq!(places.len(), n, "one place per node");
    assert_eq!(sizes.len(), n, "one size per node");
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && a < n && b < n && !links[a].contains(&b) {
            links[a].push(b);
            links[b].push(a);
        }
    }
    let mut pos = seed(n, &links, places);
    let moving: Vec<usize> = (0..n)
        .filter(|&i| !matches!(places[i], Place::Fixed(..)))
        .collect();
    if moving.is_empty() {
        return pos;
    }
    let anchored = places.iter().any(|p| !matches!(p, Place::Free));
    let k = EDGE_LENGTH;
    // Fewer rounds for big charts: every round costs n² distance checks.
    let rounds = (40_000_000 / (n * n).max(1)).clamp(40, 300);
    let mut temperature = k;
    let cooling = temperature / rounds as f64;
    let mut shift = vec![(0.0f64, 0.0f64); n];
    for _ in 0..rounds {
        for s in shift.iter_mut() {
            *s = (0.0, 0.0);
        }
        for &i in &moving {
            let (xi, yi) = pos[i];
            let (mut fx, mut fy) = (0.0, 0.0);
            for (j, &(xj, yj)) in pos.iter().enumerate() {
                if j == i {
                    continue;
                }
                let (dx, dy) = (xi - xj, yi - yj);
                let d2 = dx * dx + dy * dy;
                if d2 > 16.0 * k * k {
                    continue;
                }
                let d = d2.sqrt().max(0.01);
                // Repulsion k²/d, much stronger when labels would overlap.
                let mut f = k * k / d;
                if d < 0.5 * k {
                    f *= 3.0;
                }
                let (ux, uy) = if d2 < 1e-6 {
                    jitter(i, j)
                } else {
                    (dx / d, dy / d)
                };
                fx += ux * f;
                fy += uy * f;
            }
            for &j in &links[i] {
                let (dx, dy) = (pos[j].0 - xi, pos[j].1 - yi);
                let d = (dx * dx + dy * dy).sqrt().max(0.01);
                let f = d * d / k;
                fx += dx / d * f;
                fy += dy / d * f;
            }
            match places[i] {
                Place::Hint(hx, hy) => {
                    fx += (hx - xi) * 2.0;
                    fy += (hy - yi) * 2.0;
                }
                _ if !anchored => {
                    // A little gravity keeps separate pieces together.
                    fx -= xi * 0.05;
                    fy -= yi * 0.05;
                }
                _ => {}
            }
            shift[i] = (fx, fy);
        }
        for &i in &moving {
            let (fx, fy) = shift[i];
            let f = (fx * fx + fy * fy).sqrt();
            if f > 0.0 {
                let step = f.min(temperature);
                pos[i].0 += fx / f * step;
                pos[i].1 += fy / f * step;
            }
        }
        temperature = (temperature - cooling).max(1.0);
    }
    separate(&mut pos, places, sizes);
    pos.iter()
        .map(|&(x, y)| ((x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0))
        .collect()
}

/// Pushes apart nodes whose boxes overlap, along the axis where they
/// overlap least; a fixed node never moves, so the other takes the push.
fn separate(pos: &mut [(f64, f64)], places: &[Place], sizes: &[(f64, f64)]) {
    const GAP_X: f64 = 14.0;
    const GAP_Y: f64 = 16.0;
    let n = pos.len();
    let fixed = |i: usize| matches!(places[i], Place::Fixed(..));
    let rounds = (20_000_000 / (n * n).max(1)).clamp(3, 60);
    for _ in 0..rounds {
        let mut moved = false;
        for i in 0..n {
            for j in i + 1..n {
                if fixed(i) && fixed(j) {
                    continue;
                }
                let (dx, dy) = (pos[j].0 - pos[i].0, pos[j].1 - pos[i].1);
                let ox = (sizes[i].0 + sizes[j].0) / 2.0 + GAP_X - dx.abs();
                let oy = (sizes[i].1 + sizes[j].1) / 2.0 + GAP_Y - dy.abs();
                if ox <= 0.0 || oy <= 0.0 {
                    continue;
                }
                moved = true;
                // Wide labels: moving up or down is usually the shorter way.
                let (mx, my) = if oy <= ox {
                    (0.0, if dy >= 0.0 { oy } else { -oy })
                } else {
                    (if dx >= 0.0 { ox } else { -ox }, 0.0)
                };
                let (si, sj) = match (fixed(i), fixed(j)) {
                    (true, _) => (0.0, 1.0),
                    (_, true) => (1.0, 0.0),
                    _ => (0.5, 0.5),
                };
                pos[i].0 -= mx * si;
                pos[i].1 -= my * si;
                pos[j].0 += mx * sj;
                pos[j].1 += my * sj;
            }
        }
        if !moved {
            break;
        }
    }
}

/// A fixed direction for two nodes on the same spot, from their indices.
fn jitter(i: usize, j: usize) -> (f64, f64) {
    let angle = ((i * 7919 + j * 104_729) % 360) as f64 * std::f64::consts::PI / 180.0;
    (angle.cos(), angle.sin())
}

/// Starting positions: fixed and hinted nodes where they are asked to be;
/// a new node next to the placed nodes it links to (spread around them on a
/// golden-angle spiral), or, linked to nothing placed, on a ring outside
/// everything placed.
fn seed(n: usize, links: &[Vec<usize>], places: &[Place]) -> Vec<(f64, f64)> {
    const GOLDEN: f64 = 2.399_963_229_728_653;
    let mut pos: Vec<Option<(f64, f64)>> = places
        .iter()
        .map(|p| match *p {
            Place::Fixed(x, y) | Place::Hint(x, y) => Some((x, y)),
            Place::Free => None,
        })
        .collect();
    let mut around: Vec<usize> = vec![0; n];
    let mut outside = 0usize;
    // Breadth-first from what is placed, so a chain of new nodes grows
    // outwards from the chart instead of piling up at the origin.
    loop {
        let next = (0..n).filter(|&i| pos[i].is_none()).max_by_key(|&i| {
            (
                links[i].iter().filter(|&&j| pos[j].is_some()).count(),
                std::cmp::Reverse(i),
            )
        });
        let Some(i) = next else { break };
        let placed: Vec<usize> = links[i]
            .iter()
            .copied()
            .filter(|&j| pos[j].is_some())
            .collect();
        let p = if let Some(&anchor) = placed.first() {
            let (mut cx, mut cy) = (0.0, 0.0);
            for &j in &placed {
                let (x, y) = pos[j].expect("placed");
                cx += x;
                cy += y;
            }
            cx /= placed.len() as f64;
            cy /= placed.len() as f64;
            around[anchor] += 1;
            let turn = around[anchor] as f64;
            let angle = turn * GOLDEN;
            let radius = EDGE_LENGTH * (0.8 + 0.15 * turn.sqrt());
            (cx + radius * angle.cos(), cy + radius * angle.sin())
        } else if pos.iter().all(Option::is_none) {
            (0.0, 0.0)
        } else {
            let placed: Vec<(f64, f64)> = pos.iter().flatten().copied().collect();
            let cx = placed.iter().map(|p| p.0).sum::<f64>() / placed.len() as f64;
            let cy = placed.iter().map(|p| p.1).sum::<f64>() / placed.len() as f64;
            let reach = placed
                .iter()
                .map(|p| ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt())
                .fold(0.0, f64::max);
            outside += 1;
            let angle = outside as f64 * GOLDEN;
            let radius = reach + EDGE_LENGTH;
            (cx + radius * angle.cos(), cy + radius * angle.sin())
        };
        pos[i] = Some(p);
    }
    pos.into_iter().map(|p| p.unwrap_or_default()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: (f64, f64), b: (f64, f64)) -> f64 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    #[test]
    fn fixed_nodes_stay_where_they_are() {
        let places = vec![
            Place::Fixed(10.0, 20.0),
            Place::Fixed(300.0, -40.0),
            Place::Free,
            Place::Free,
        ];
        let pos = layout(4, &[(0, 2), (1, 3), (2, 3)], &places, &[(80.0, 24.0); 4]);
        assert_eq!(pos[0], (10.0, 20.0));
        assert_eq!(pos[1], (300.0, -40.0));
    }

    #[test]
    fn new_nodes_settle_near_what_they_link_to_and_apart() {
        let mut places = vec![Place::Fixed(0.0, 0.0)];
        places.extend(std::iter::repeat_n(Place::Free, 12));
        let edges: Vec<(usize, usize)> = (1..13).map(|i| (0, i)).collect();
        let size = (150.0, 24.0);
        let pos = layout(13, &edges, &places, &[size; 13]);
        for i in 1..13 {
            let d = dist(pos[0], pos[i]);
            assert!(d > 0.2 * EDGE_LENGTH && d < 3.0 * EDGE_LENGTH, "{i}: {d}");
            for j in 0..i {
                let apart =
                    (pos[i].0 - pos[j].0).abs() >= size.0 || (pos[i].1 - pos[j].1).abs() >= size.1;
                assert!(apart, "{i} and {j} overlap: {:?} {:?}", pos[i], pos[j]);
            }
        }
    }

    #[test]
    fn the_same_input_gives_the_same_positions() {
        let places = vec![Place::Free; 30];
        let edges: Vec<(usize, usize)> = (0..29).map(|i| (i, (i * 7 + 3) % 30)).collect();
        let sizes = [(100.0, 24.0); 30];
        assert_eq!(
            layout(30, &edges, &places, &sizes),
            layout(30, &edges, &places, &sizes)
        );
    }

    #[test]
    fn hints_keep_their_order() {
        let places: Vec<Place> = (0..4).map(|i| Place::Hint(i as f64 * 220.0, 0.0)).collect();
        let pos = layout(4, &[(0, 1), (1, 2), (2, 3)], &places, &[(120.0, 24.0); 4]);
        for w in pos.windows(2) {
            assert!(w[0].0 < w[1].0, "{pos:?}");
        }
    }
}
