use std::process::ExitCode;

fn main() -> ExitCode {
    porte_ouverte::cli::main()
}
