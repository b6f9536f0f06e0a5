fn main() {
    let p = std::env::args().nth(1).unwrap();
    match firedrill_core::scenario::load_file(std::path::Path::new(&p)) { Ok(s) => println!("ok {}", s.id), Err(e) => println!("{e}") }
}
