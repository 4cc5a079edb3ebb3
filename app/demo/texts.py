"""The words of the demo year: RHK descriptions, notes, messages, complaints.

Bahasa Indonesia, as the staff and citizens of the five regions would write
them. Nothing here is a rule: the rules come from the region's rule set and
the services; these are only the texts the seeded people type.
"""

from __future__ import annotations

# RHK (Rencana Hasil Kerja) phrased for each library indicator; an indicator
# not listed here gets "Tercapainya <indicator name>".
RHK_FOR_INDICATOR = {
    "UMUM-01": "Terselesaikannya dokumen kerja unit sesuai rencana kerja tahunan",
    "UMUM-02": "Meningkatnya mutu hasil kerja yang disampaikan kepada pimpinan",
    "UMUM-03": "Terselesaikannya tugas kedinasan secara tepat waktu",
    "UMUM-04": "Terkelolanya anggaran kegiatan secara tertib dan terserap sesuai rencana",
    "SLR-DOK-01": "Makin cepatnya penyelesaian dokumen pelayanan kepada masyarakat",
    "SLR-DOK-02": "Terlayaninya permohonan dokumen pelayanan masyarakat",
    "SLR-ADU-01": "Tertanganinya pengaduan masyarakat atas layanan secara cepat",
    "AMB-01": "Terselesaikannya permohonan layanan publik",
    "AMB-02": "Terjawabnya pengaduan masyarakat secara tepat waktu",
    "AMB-03": "Terlaksananya sosialisasi dan lokakarya kinerja bagi pegawai dan masyarakat",
    "PKY-TI-01": "Meningkatnya layanan administrasi kepegawaian berbasis aplikasi",
    "PKY-TI-02": "Mutakhirnya data kepegawaian dalam sistem informasi",
    "PKY-SKP-01": "Tercapainya target kinerja tahunan unit kerja",
    "KES-01": "Meningkatnya jumlah pelayanan kesehatan kepada masyarakat",
    "KES-02": "Meningkatnya kepuasan pasien atas pelayanan kesehatan",
    "KES-03": "Berkurangnya waktu tunggu pelayanan kesehatan",
    "DIK-01": "Terlaksananya kegiatan belajar mengajar sesuai jadwal",
    "DIK-02": "Meningkatnya ketuntasan belajar peserta didik",
    "PAR-01": "Meningkatnya layanan kepada wisatawan di objek wisata tambang",
    "DUK-01": "Terbitnya dokumen kependudukan bagi masyarakat",
    "DUK-02": "Makin cepatnya penerbitan dokumen kependudukan",
    "WLS-KMS-01": "Berkurangnya jumlah keluarga miskin di wilayah dampingan",
    "WLS-KMS-02": "Terdampinginya keluarga miskin penerima program",
    "WLS-VAK-01": "Meningkatnya cakupan imunisasi dasar lengkap",
    "WLS-VAK-02": "Terlaksananya vaksinasi anak sesuai sasaran",
}

TAMBAHAN_RHK = (
    "Menjadi narasumber sosialisasi layanan bagi perangkat kelurahan",
    "Terlibat sebagai anggota tim penyusun standar pelayanan unit",
    "Membantu pengelolaan arsip digital unit kerja",
)

# Lampiran of the demo pegawai's plan.
RESOURCES = "Komputer dan printer loket, akses aplikasi layanan, jaringan internet kantor."
ACCOUNTABILITY = "Laporan realisasi setiap periode kepada pejabat penilai beserta bukti dukung."
CONSEQUENCES = "Realisasi di bawah target dibahas dalam dialog kinerja dan dapat menjadi dasar pembinaan."

# Ekspektasi khusus pimpinan, by BerAKHLAK code.
EXPECTATIONS = {
    "berorientasi-pelayanan": "Melayani pemohon dengan ramah dan menjelaskan persyaratan sampai tuntas.",
    "akuntabel": "Mencatat setiap berkas yang diterima dan diselesaikan di aplikasi pada hari yang sama.",
    "kompeten": "Mengikuti minimal satu pelatihan teknis tahun ini dan berbagi hasilnya di seksi.",
    "kolaboratif": "Membantu rekan di loket lain pada jam sibuk tanpa harus diminta.",
}

RETURN_NOTES = (
    "Target IKI belum menggambarkan beban kerja seksi; mohon disesuaikan dengan realisasi tahun lalu.",
    "RHK utama belum dikaitkan dengan RHK atasan yang diintervensi. Lengkapi lalu ajukan kembali.",
    "Tambahkan satu IKI aspek kualitas agar hasil kerja tidak hanya diukur dari jumlah.",
)

EVIDENCE_TITLES = (
    "Rekap register {period}",
    "Laporan bulanan {period}",
    "Tangkapan layar aplikasi {period}",
    "Berita acara {period}",
)

REJECTION_NOTE = "Berkas rekap belum ditandatangani kepala seksi; unggah ulang versi yang sudah ditandatangani."

# Dialog kinerja: (author role, text). "pegawai", "penilai", "atasan".
PEGAWAI_THREAD = (
    ("pegawai", "Realisasi periode lalu sedikit di bawah target karena aplikasi sempat gangguan hampir dua "
                "minggu. Apakah laporan gangguan perlu saya lampirkan sebagai bukti dukung?"),
    ("penilai", "Ya, lampirkan laporan gangguan dari pengelola aplikasi. Target tahunan tetap; kita kejar "
                "pada periode berikutnya dengan menambah jam layanan pada hari Sabtu."),
    ("atasan", "Progres seksi ini baik. Pastikan bukti dukung lengkap sebelum penilaian periode berikutnya."),
    ("pegawai", "Baik, sudah saya unggah. Terima kasih arahannya."),
)
TEAM_THREAD = (
    ("penilai", "Mohon realisasi periode ini diisi paling lambat akhir pekan, lengkap dengan bukti dukung."),
    ("pegawai", "Siap, sedang saya rekap dari register harian."),
)

SESSION_NOTES = (
    ("Membahas capaian {period}: sebagian besar IKI sesuai target; antrean pada awal bulan masih panjang.",
     "Pegawai menyusun jadwal piket loket; penilai mengusulkan penambahan satu operator pada jam sibuk."),
    ("Evaluasi bukti dukung {period}: dua berkas perlu dilengkapi tanda tangan. Dibahas juga rencana pelatihan.",
     "Pegawai melengkapi bukti dukung dalam satu minggu; penilai mendaftarkan pegawai ke pelatihan teknis."),
    ("Dialog kinerja {period}: pegawai menyampaikan kendala jaringan; realisasi tetap dijaga.",
     "Koordinasi dengan pengelola jaringan; laporan kendala dilampirkan pada realisasi."),
)

OBJECTION_REASONS = (
    "Saya keberatan atas hasil penilaian ini. Selama hampir tiga minggu pada periode ini saya ditugaskan "
    "membantu pelayanan jemput bola di kelurahan (surat tugas terlampir pada bukti dukung), sehingga "
    "realisasi di loket turun. Tugas tersebut belum dipertimbangkan dalam penilaian."
)

# Complaints: (category, description, public response).
COMPLAINTS = (
    ("pelayanan", "Antrean sangat panjang. Saya datang pukul 08.00 dan baru dilayani pukul 13.00, "
                  "padahal hanya mengambil dokumen yang sudah jadi.",
     "Terima kasih atas laporan Anda. Mulai bulan ini pengambilan dokumen jadi dilayani di loket tersendiri."),
    ("prosedur", "Persyaratan yang diminta petugas berbeda dengan yang diumumkan di laman resmi; saya harus "
                 "kembali keesokan harinya.",
     "Mohon maaf atas ketidaksesuaian informasi. Daftar persyaratan di laman dan di loket sudah diseragamkan."),
    ("sarana", "Ruang tunggu kekurangan kursi dan toilet untuk pengunjung tidak berfungsi.",
     "Terima kasih. Kursi tambahan sudah dipasang dan perbaikan toilet dijadwalkan minggu ini."),
    ("lainnya", "Jam layanan di papan pengumuman tidak sesuai dengan jam buka sebenarnya.",
     "Papan pengumuman sudah diperbarui sesuai jam layanan yang berlaku."),
    ("biaya", "Ada yang menawarkan jasa mempercepat pengurusan dengan membayar, padahal layanan ini gratis.",
     "Terima kasih atas laporannya. Kami menelusuri laporan ini dan memasang pengumuman layanan tanpa biaya."),
)
EMPLOYEE_COMPLAINT = (
    "perilaku",
    "Petugas loket berbicara dengan nada tinggi dan menolak menerima berkas saya tanpa menjelaskan "
    "kekurangannya. Kejadian pada hari kerja sekitar pukul 10.00.",
    "Terima kasih atas laporan Anda. Pegawai yang bersangkutan telah dipanggil dan dibina oleh atasannya.",
)
TRIAGE_NOTES = ("Ditelaah admin; diteruskan ke unit terkait.", "Perlu klarifikasi unit layanan.")

SURVEY_COMMENTS = (
    "Petugas ramah dan cepat.",
    "Antrean masih lama pada pagi hari.",
    "Persyaratan sudah jelas di papan informasi.",
    "Ruang tunggu nyaman.",
    "Mohon ditambah petugas pada jam sibuk.",
)

# Catalogue courses for recommendation codes that plugins add beyond their
# rule set's training rules (by rule-set code).
EXTRA_COURSES = {
    "salor": (("etika-pelayanan", "Pelatihan Etika Pelayanan dan Penanganan Pengaduan"),),
    "sawahlunto": (("kekurangan-jp", "Pembelajaran Mandiri ASN (e-learning, pemenuhan 20 JP)"),),
}
PROVIDERS = ("BKPSDM {tenant}", "BPSDM Provinsi", "Lembaga Administrasi Negara (e-learning)")
