//! Browser entry point: everything happens in `cca::boot::start`.

fn main() {
    cca::boot::start();
}
